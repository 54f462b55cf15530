# GWSIM_MPI=AUTO builds `gwsim sweep` with MPI distribution when an MPI
# implementation is found (Debian: libopenmpi-dev openmpi-bin), OFF never
# looks for it, ON fails clearly without it. Without MPI, sweeps run on the
# local machine's cores only (docs/sweeps.md).
string(TOUPPER "${GWSIM_MPI}" GWSIM_MPI)
if(NOT GWSIM_MPI MATCHES "^(AUTO|ON|OFF)$")
  message(FATAL_ERROR "GWSIM_MPI must be AUTO, ON or OFF (found '${GWSIM_MPI}')")
endif()

set(GWSIM_HAVE_MPI OFF)
if(NOT GWSIM_MPI STREQUAL "OFF")
  find_package(MPI COMPONENTS C)
  if(MPI_C_FOUND)
    set(GWSIM_HAVE_MPI ON)
  elseif(GWSIM_MPI STREQUAL "ON")
    message(FATAL_ERROR "GWSIM_MPI=ON but no MPI was found: install libopenmpi-dev and openmpi-bin "
                        "(scripts/setup.sh does), or configure with -DGWSIM_MPI=OFF")
  endif()
endif()
message(STATUS "gwsim MPI sweeps: ${GWSIM_HAVE_MPI} (GWSIM_MPI=${GWSIM_MPI})")
