#ifndef C_ZLIB_SHIM_H
#define C_ZLIB_SHIM_H
#include <zlib.h>

/* zlib's deflateInit2/inflateInit2 are macros, which Swift cannot call. */
static inline int czlib_deflate_init2(z_streamp strm, int level, int method, int windowBits, int memLevel, int strategy) {
    return deflateInit2(strm, level, method, windowBits, memLevel, strategy);
}
static inline int czlib_inflate_init2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}
#endif
