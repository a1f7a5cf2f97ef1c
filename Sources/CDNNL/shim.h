// oneDNN's C API, as installed (Debian's libdnnl-dev: oneDNN 2.x; Homebrew and Debian 13: 3.x).
// Perceptron calls it only through the CDNNLShim target, which builds against either.
#include <oneapi/dnnl/dnnl.h>
