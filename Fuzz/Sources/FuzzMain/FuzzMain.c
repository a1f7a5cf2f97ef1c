// Entry points for the fuzz executables.
//
// On Linux, SwiftPM links every executable with `--defsym main=<Module>_main` (so that tests can
// import executable modules), and the module is compiled to call its entry point `<Module>_main`.
// A fuzz target is compiled with `-parse-as-library` and has no entry point of its own, so that
// symbol would be missing, and libFuzzer's `main` is overridden by the alias. These definitions
// supply it: each runs libFuzzer's driver on the executable's `LLVMFuzzerTestOneInput`, exactly as
// libFuzzer's own `main` does. (Every executable gets all seven; only its own is used.)
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#define FUZZ_MAIN(name) \
    int name##_main(int argc, char **argv) { return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput); }

FUZZ_MAIN(FuzzIDX)
FUZZ_MAIN(FuzzCSV)
FUZZ_MAIN(FuzzPNG)
FUZZ_MAIN(FuzzPGM)
FUZZ_MAIN(FuzzJPEG)
FUZZ_MAIN(FuzzSafetensors)
FUZZ_MAIN(FuzzConfig)
FUZZ_MAIN(FuzzPredictBody)
