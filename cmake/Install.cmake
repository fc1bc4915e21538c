# What `cmake --install` puts where, and the .deb CPack builds from it.
include(GNUInstallDirs)

# Man pages: help2man turns each tool's --help plus man/<tool>.h2m into roff, so the page
# always says what the tool does.
find_program(HELP2MAN help2man)
if(HELP2MAN)
  foreach(tool om-backup-migrate om-backup-run om-backup-sync om-backup-report om-backup-prune om-backup-restore om-backup-copy)
    set(page "${CMAKE_CURRENT_BINARY_DIR}/man/${tool}.1")
    add_custom_command(
      OUTPUT "${page}"
      COMMAND ${CMAKE_COMMAND} -E make_directory "${CMAKE_CURRENT_BINARY_DIR}/man"
      COMMAND ${CMAKE_COMMAND} -E env OM_BACKUP_CONFIG=/dev/null
              ${HELP2MAN} --no-info --no-discard-stderr --section 1
              --include "${PROJECT_SOURCE_DIR}/man/${tool}.h2m"
              --include "${PROJECT_SOURCE_DIR}/man/common.h2m"
              --output "${page}" "$<TARGET_FILE:${tool}>"
      DEPENDS ${tool} "${PROJECT_SOURCE_DIR}/man/${tool}.h2m" "${PROJECT_SOURCE_DIR}/man/common.h2m"
      VERBATIM)
    list(APPEND om_man_pages "${page}")
  endforeach()
  add_custom_target(man ALL DEPENDS ${om_man_pages})
  install(FILES ${om_man_pages} DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
else()
  message(WARNING "help2man not found: no man pages")
endif()

install(FILES completions/om-backup.bash DESTINATION "${CMAKE_INSTALL_DATADIR}/bash-completion/completions"
        RENAME om-backup-run)
foreach(tool om-backup-migrate om-backup-sync om-backup-report om-backup-prune om-backup-restore om-backup-copy)
  # bash-completion loads a file named after the command: each tool gets a small link.
  install(CODE "file(MAKE_DIRECTORY \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/bash-completion/completions\")
    file(CREATE_LINK om-backup-run \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/bash-completion/completions/${tool}\" SYMBOLIC)")
endforeach()
install(FILES completions/_om-backup DESTINATION "${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions")
install(FILES completions/om-backup.fish DESTINATION "${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d")
install(FILES cron.d/om-backup DESTINATION /etc/cron.d)
install(FILES etc/om-backup.conf DESTINATION /etc/om-backup
        PERMISSIONS OWNER_READ OWNER_WRITE)
install(DIRECTORY sql/ DESTINATION "${CMAKE_INSTALL_DOCDIR}/sql")
install(FILES README.md CHANGELOG.md DESTINATION "${CMAKE_INSTALL_DOCDIR}")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME om-backup)
set(CPACK_PACKAGE_CONTACT "om-backup maintainers <root@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Backups for a single-server web application, recorded for its admin UI")
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "borgbackup, mariadb-client | default-mysql-client, pigz, tar")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "rclone")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "cron")
# Files under /etc are the admin's: kept on upgrade and removal (dpkg conffiles).
file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/conffiles" "/etc/cron.d/om-backup\n/etc/om-backup/om-backup.conf\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA "${CMAKE_CURRENT_BINARY_DIR}/conffiles")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
