#ifndef C_ROCKSDB_RAW_SHIM_H
#define C_ROCKSDB_RAW_SHIM_H
#include <rocksdb/c.h>
#endif
