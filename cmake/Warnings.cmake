# Compiler warnings and sanitizers for every target of the project.
add_library(om_warnings INTERFACE)
target_compile_options(om_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
  $<$<BOOL:${OM_WERROR}>:-Werror>
  # GCC 12 reports std::optional/std::variant members as maybe-uninitialized at -O2 where they
  # are not (GCC bugs 105562, 107138): still shown, but not fatal under -Werror.
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<BOOL:${OM_WERROR}>>:-Wno-error=maybe-uninitialized>)
if(OM_SANITIZE)
  target_compile_options(om_warnings INTERFACE -fsanitize=${OM_SANITIZE} -fno-omit-frame-pointer)
  target_link_options(om_warnings INTERFACE -fsanitize=${OM_SANITIZE})
endif()
