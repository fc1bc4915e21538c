# Compiler warnings and sanitizers for every target of the project.
add_library(om_warnings INTERFACE)
target_compile_options(om_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
  $<$<BOOL:${OM_WERROR}>:-Werror>)
if(OM_SANITIZE)
  target_compile_options(om_warnings INTERFACE -fsanitize=${OM_SANITIZE} -fno-omit-frame-pointer)
  target_link_options(om_warnings INTERFACE -fsanitize=${OM_SANITIZE})
endif()
