# What `cmake --install` puts where, and the .deb CPack builds from it.
include(GNUInstallDirs)

# Man pages: help2man turns each tool's --help plus man/<tool>.h2m into roff, so the page
# always says what the tool does.
find_program(HELP2MAN help2man)
if(HELP2MAN)
  foreach(tool om-backup-migrate om-backup-run om-backup-sync om-backup-report om-backup-prune om-backup-restore om-backup-copy om-backup-check)
    set(page "${CMAKE_CURRENT_BINARY_DIR}/man/${tool}.1")
    add_custom_command(
      OUTPUT "${page}" "${page}.gz"
      COMMAND ${CMAKE_COMMAND} -E make_directory "${CMAKE_CURRENT_BINARY_DIR}/man"
      COMMAND ${CMAKE_COMMAND} -E env OM_BACKUP_CONFIG=/dev/null
              ${HELP2MAN} --no-info --no-discard-stderr --section 1
              --include "${PROJECT_SOURCE_DIR}/man/${tool}.h2m"
              --include "${PROJECT_SOURCE_DIR}/man/common.h2m"
              --output "${page}" "$<TARGET_FILE:${tool}>"
      # Installed compressed, as Debian wants them (-n: no name or time inside, reproducible).
      COMMAND gzip -9nkf "${page}"
      DEPENDS ${tool} "${PROJECT_SOURCE_DIR}/man/${tool}.h2m" "${PROJECT_SOURCE_DIR}/man/common.h2m"
      VERBATIM)
    list(APPEND om_man_pages "${page}")
    list(APPEND om_man_pages_gz "${page}.gz")
  endforeach()
  add_custom_target(man ALL DEPENDS ${om_man_pages} ${om_man_pages_gz})
  install(FILES ${om_man_pages_gz} DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
else()
  message(WARNING "help2man not found: no man pages")
endif()

install(FILES completions/om-backup.bash DESTINATION "${CMAKE_INSTALL_DATADIR}/bash-completion/completions"
        RENAME om-backup-run)
foreach(tool om-backup-migrate om-backup-sync om-backup-report om-backup-prune om-backup-restore om-backup-copy om-backup-check)
  # bash-completion loads a file named after the command: each tool gets a small link.
  install(CODE "file(MAKE_DIRECTORY \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/bash-completion/completions\")
    file(CREATE_LINK om-backup-run \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/bash-completion/completions/${tool}\" SYMBOLIC)")
endforeach()
install(FILES completions/_om-backup DESTINATION "${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions")
install(FILES completions/om-backup.fish DESTINATION "${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d")
install(FILES cron.d/om-backup DESTINATION /etc/cron.d)
# systemd timers, as an alternative to cron.d: installed, never enabled by us.
file(GLOB om_systemd_units "${PROJECT_SOURCE_DIR}/systemd/*.service" "${PROJECT_SOURCE_DIR}/systemd/*.timer")
install(FILES ${om_systemd_units} DESTINATION lib/systemd/system)
install(FILES etc/om-backup.conf DESTINATION /etc/om-backup
        PERMISSIONS OWNER_READ OWNER_WRITE)
install(DIRECTORY sql/ DESTINATION "${CMAKE_INSTALL_DOCDIR}/sql")
install(FILES README.md CHANGELOG.md DESTINATION "${CMAKE_INSTALL_DOCDIR}")
# The reference README links to, beside it (docs/*.md).
install(DIRECTORY docs/ DESTINATION "${CMAKE_INSTALL_DOCDIR}/docs")
# Debian's copyright file (DEP-5: the MIT license, and the licenses of what we link).
install(FILES debian/copyright DESTINATION "${CMAKE_INSTALL_DOCDIR}")

# Who answers for the package: the Maintainer field and the Debian changelog's trailer. A site
# building its own package sets its own.
set(OM_MAINTAINER "OrthodoxMetrics backup maintainers <backups@orthodoxmetrics.com>"
    CACHE STRING "Maintainer of the .deb (Name <address>)")
# The Debian changelog, made from CHANGELOG.md's released sections; a native package keeps it
# as changelog.gz (gzip -n: no name or time inside, reproducible).
set(om_debian_changelog "${CMAKE_CURRENT_BINARY_DIR}/debian/changelog")
add_custom_command(
  OUTPUT "${om_debian_changelog}.gz"
  COMMAND ${CMAKE_COMMAND} -E make_directory "${CMAKE_CURRENT_BINARY_DIR}/debian"
  COMMAND sh "${PROJECT_SOURCE_DIR}/cmake/debian-changelog.sh" "${PROJECT_SOURCE_DIR}/CHANGELOG.md"
          "${OM_MAINTAINER}" "${om_debian_changelog}"
  COMMAND gzip -9nf "${om_debian_changelog}"
  DEPENDS "${PROJECT_SOURCE_DIR}/CHANGELOG.md" "${PROJECT_SOURCE_DIR}/cmake/debian-changelog.sh"
  VERBATIM)
add_custom_target(debian-changelog ALL DEPENDS "${om_debian_changelog}.gz")
install(FILES "${om_debian_changelog}.gz" DESTINATION "${CMAKE_INSTALL_DOCDIR}")
# lintian's reasoned exceptions (cmake/lintian-overrides says why).
install(FILES cmake/lintian-overrides DESTINATION "${CMAKE_INSTALL_DATADIR}/lintian/overrides"
        RENAME om-backup)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME om-backup)
set(CPACK_PACKAGE_CONTACT "${OM_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Backups for a single-server web application, recorded for its admin UI")
set(CPACK_PACKAGE_DESCRIPTION "Small command-line tools that make, reconcile, prune, copy,
report on and restore the backups of one web application (its files, uploads
and MySQL/MariaDB database) with BorgBackup, and record every attempt in the
backup_jobs and backup_artifacts tables its admin UI reads. Run by cron or
systemd timers, shell pipelines, admins and the application's backend.")
# Stripped binaries, their debug symbols split into om-backup-dbgsym (a .ddeb beside the .deb):
# CPack's Debian generator does both when the binaries it finds have debug information (the
# default RelWithDebInfo build).
set(CPACK_DEBIAN_DEBUGINFO_PACKAGE ON)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# tar and gzip are essential: never a dependency.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "borgbackup, mariadb-client | default-mysql-client, pigz")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "rclone, gnuplot-nox")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "cron")
# Files under /etc are the admin's: kept on upgrade and removal (dpkg conffiles).
file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/conffiles" "/etc/cron.d/om-backup\n/etc/om-backup/om-backup.conf\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA "${CMAKE_CURRENT_BINARY_DIR}/conffiles")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
