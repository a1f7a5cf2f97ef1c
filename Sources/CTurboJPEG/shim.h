// libjpeg-turbo's TurboJPEG API (Debian: libturbojpeg0-dev, 2.x; Homebrew: jpeg-turbo, 3.x, which
// keeps the 2.x functions used here): JPEG decoding, at reduced scale where wanted.
#include <stddef.h>
#include <turbojpeg.h>
