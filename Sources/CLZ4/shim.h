#ifndef C_LZ4_SHIM_H
#define C_LZ4_SHIM_H
#include <lz4.h>
#include <lz4hc.h>
#include <lz4frame.h>
#endif
