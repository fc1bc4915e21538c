/* The floor of writing N manifest files: what the kernel and the file system cost for each
 * (a temporary name, the bytes, a rename into place, as om-backup's replace_file does), with
 * nothing else around it. Usage: create_files DIR COUNT BYTES */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s DIR COUNT BYTES\n", argv[0]);
    return 64;
  }
  const char* dir = argv[1];
  long count = atol(argv[2]);
  size_t bytes = (size_t)atol(argv[3]);
  char* data = malloc(bytes ? bytes : 1);
  memset(data, 'x', bytes);
  mkdir(dir, 0750);
  char tmp[4096], path[4096];
  for (long i = 0; i < count; ++i) {
    snprintf(tmp, sizeof tmp, "%s/%08ld.json.tmp-XXXXXX", dir, i);
    snprintf(path, sizeof path, "%s/%08ld.json", dir, i);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0 || fchmod(fd, 0644) != 0 || write(fd, data, bytes) != (ssize_t)bytes || close(fd) != 0 ||
        rename(tmp, path) != 0) {
      perror(path);
      return 1;
    }
  }
  free(data);
  return 0;
}
