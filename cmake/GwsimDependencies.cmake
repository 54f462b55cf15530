# Every dependency comes from a Debian package (scripts/setup.sh installs them)
# and is found the standard way: a CMake config package, a Find module, or
# pkg-config where the project ships only a .pc file (SimGrid 3.32).
find_package(PkgConfig REQUIRED)
pkg_check_modules(SIMGRID REQUIRED IMPORTED_TARGET simgrid>=3.32)

find_package(Boost 1.74 REQUIRED COMPONENTS graph)
find_package(Protobuf REQUIRED)
find_package(HDF5 REQUIRED COMPONENTS C CXX)
find_package(yaml-cpp REQUIRED)
find_package(CLI11 REQUIRED)
find_package(fmt REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Threads REQUIRED)
# Compressed traces (.gz, .xz) are read directly (workloads/compressed_input.hpp).
find_package(ZLIB REQUIRED)
find_package(LibLZMA REQUIRED)

# HDF5's Find module reports variables; wrap them in one target.
if(NOT TARGET gwsim_hdf5)
  add_library(gwsim_hdf5 INTERFACE)
  target_include_directories(gwsim_hdf5 SYSTEM INTERFACE ${HDF5_INCLUDE_DIRS})
  # gwsim calls HDF5's C API only. The C++ wrapper library is found (the
  # CXX component) but not linked: at exit it closes the HDF5 library, and
  # that crashes on a file whose last write failed (a full disk), which
  # gwsim leaves to the operating system after removing it (docs/errors.md).
  target_link_libraries(gwsim_hdf5 INTERFACE ${HDF5_C_LIBRARIES})
  target_compile_definitions(gwsim_hdf5 INTERFACE ${HDF5_DEFINITIONS})
  add_library(gwsim::hdf5 ALIAS gwsim_hdf5)
endif()
