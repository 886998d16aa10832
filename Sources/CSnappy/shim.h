#ifndef C_SNAPPY_SHIM_H
#define C_SNAPPY_SHIM_H
#include <snappy-c.h>
#endif
