// zlib: inflate for .gz files and PNGs, deflate for PNGs, CRC-32.
#include <zlib.h>
