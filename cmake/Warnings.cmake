# Compiler warnings and sanitizers for every target of the project.
add_library(om_warnings INTERFACE)
target_compile_options(om_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
  $<$<BOOL:${OM_WERROR}>:-Werror>
  # Aggregates are built with designated initialisers that name only what differs from the
  # members' defaults; GCC 12's -Wextra calls each default a missing initialiser.
  -Wno-missing-field-initializers
  # GCC 12 reports std::optional/std::variant members as maybe-uninitialized where they are
  # not (GCC bugs 105562, 107138). The -O2/-O3 builds' cases are silenced where they arise
  # (narrow pragmas naming the bug), so a normal build prints none; the sanitizer build's -O1
  # finds more elsewhere, so under -Werror they stay warnings, not errors.
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<BOOL:${OM_WERROR}>>:-Wno-error=maybe-uninitialized>)
if(OM_SANITIZE)
  # A finding stops the program (UBSan would otherwise print and go on, and the test pass).
  target_compile_options(om_warnings INTERFACE -fsanitize=${OM_SANITIZE} -fno-omit-frame-pointer
                         -fno-sanitize-recover=all)
  target_link_options(om_warnings INTERFACE -fsanitize=${OM_SANITIZE})
endif()
if(OM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "OM_FUZZ needs clang (CXX=clang++-16): libFuzzer is clang's")
  endif()
  # clang 16 reports concepts as 201907, so libstdc++ 12 hides <expected>; it does implement
  # what <expected> needs (as scripts/tidy finds too).
  target_compile_options(om_warnings INTERFACE -D__cpp_concepts=202002L -Wno-macro-redefined
                         -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                         -fno-sanitize-recover=undefined)
  target_link_options(om_warnings INTERFACE -fsanitize=address,undefined)
endif()
