#pragma once
// HDF5 compound types of the /jobs and /events tables, shared by the writer
// and the reader (internal to results/). `file` true gives the on-disk type
// (little-endian, packed), false the in-memory layout of the C++ struct.
#include <hdf5.h>

namespace gwsim::results {

hid_t job_type(bool file);
hid_t event_type(bool file);

}  // namespace gwsim::results
