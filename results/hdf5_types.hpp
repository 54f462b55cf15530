#pragma once
// HDF5 compound types of the tables (/jobs, /events, /segments, /requests),
// shared by the writer and the reader (internal to results/). `file` true
// gives the on-disk type (little-endian, packed), false the in-memory layout
// of the C++ struct. The caller closes the returned type.
#include <hdf5.h>

namespace gwsim::results {

hid_t job_type(bool file);
hid_t event_type(bool file);
hid_t segment_type(bool file);
hid_t request_type(bool file);

}  // namespace gwsim::results
