// zlib: inflate for .gz files.
#include <zlib.h>
