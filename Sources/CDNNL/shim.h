// oneDNN's C API: dnnl_sgemm (row-major single-precision GEMM) and the CPU ISA query.
#include <oneapi/dnnl/dnnl.h>
