#include "cobs.h"

size_t cobs_encode(const uint8_t *in, size_t length, uint8_t *out) {
  size_t code_at = 0;
  size_t written = 1;
  uint8_t code = 1;
  for (size_t i = 0; i < length; i++) {
    if (in[i] == 0) {
      out[code_at] = code;
      code_at = written++;
      code = 1;
      continue;
    }
    out[written++] = in[i];
    code++;
    /* A full group (254 data bytes) that ends the input needs no further code byte. */
    if (code == 0xFF && i + 1 < length) {
      out[code_at] = code;
      code_at = written++;
      code = 1;
    }
  }
  out[code_at] = code;
  return written;
}

int cobs_decode(const uint8_t *in, size_t length, uint8_t *out) {
  size_t read = 0;
  size_t written = 0;
  while (read < length) {
    uint8_t code = in[read++];
    if (code == 0) return -1;
    for (uint8_t i = 1; i < code; i++) {
      if (read >= length || in[read] == 0) return -1;
      out[written++] = in[read++];
    }
    /* A group shorter than 254 data bytes stands for a zero, except at the very end. */
    if (code != 0xFF && read < length) out[written++] = 0;
  }
  return (int)written;
}
