# GWSIM_CUDA=AUTO builds the CUDA backend when nvcc is found (on PATH, in
# CUDACXX, or at /usr/local/cuda), OFF never looks for it, ON fails clearly
# without it. The CUDA backend links the static runtime, so the same binary
# runs on machines without a GPU and falls back to the CPU backend.
string(TOUPPER "${GWSIM_CUDA}" GWSIM_CUDA)
if(NOT GWSIM_CUDA MATCHES "^(AUTO|ON|OFF)$")
  message(FATAL_ERROR "GWSIM_CUDA must be AUTO, ON or OFF (found '${GWSIM_CUDA}')")
endif()

set(GWSIM_HAVE_CUDA OFF)
if(NOT GWSIM_CUDA STREQUAL "OFF")
  if(NOT CMAKE_CUDA_COMPILER AND NOT DEFINED ENV{CUDACXX} AND EXISTS /usr/local/cuda/bin/nvcc)
    set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc)
  endif()
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      # A100 (sm_80) and H100/H200 (sm_90); CUDA 13 no longer targets older parts.
      set(CMAKE_CUDA_ARCHITECTURES 80 90)
    endif()
    enable_language(CUDA)
    find_package(CUDAToolkit REQUIRED)
    set(GWSIM_HAVE_CUDA ON)
  elseif(GWSIM_CUDA STREQUAL "ON")
    message(FATAL_ERROR "GWSIM_CUDA=ON but no CUDA compiler was found: install the CUDA toolkit "
                        "(nvcc at /usr/local/cuda/bin or on PATH), set CUDACXX, or configure with -DGWSIM_CUDA=OFF")
  endif()
endif()
message(STATUS "gwsim CUDA backend: ${GWSIM_HAVE_CUDA} (GWSIM_CUDA=${GWSIM_CUDA})")
