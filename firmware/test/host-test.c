/* Host unit tests of the firmware's framing code (crc16, cobs, frame) against the shared
 * vectors file, which the gateway's TypeScript tests read too. Usage: host-test vectors.txt */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cobs.h"
#include "crc16.h"
#include "frame.h"

static int failures;

static size_t parse_hex(const char *text, uint8_t *out, size_t capacity) {
  size_t length = 0;
  if (strcmp(text, "-") == 0) return 0; /* "-" stands for no bytes */
  for (; text[0] && text[1] && length < capacity; text += 2) {
    unsigned value;
    sscanf(text, "%2x", &value);
    out[length++] = (uint8_t)value;
  }
  return length;
}

static void expect_bytes(int line, const char *what, const uint8_t *got, size_t got_length, const uint8_t *want, size_t want_length) {
  if (got_length == want_length && memcmp(got, want, want_length) == 0) return;
  failures++;
  fprintf(stderr, "vectors line %d: %s gave %zu bytes:", line, what, got_length);
  for (size_t i = 0; i < got_length; i++) fprintf(stderr, " %02x", got[i]);
  fprintf(stderr, "\n");
}

static void check_frame(int line, const uint8_t *body, size_t body_length, const uint8_t *wire, size_t wire_length) {
  uint8_t encoded[FRAME_MAX_WIRE];
  size_t encoded_length = frame_encode(body, body_length, encoded);
  expect_bytes(line, "frame_encode", encoded, encoded_length, wire, wire_length);
  frame_receiver receiver;
  frame_receiver_reset(&receiver);
  frame_result result = FRAME_NONE;
  for (size_t i = 0; i < wire_length; i++) result = frame_receive(&receiver, wire[i]);
  if (result != FRAME_OK) {
    failures++;
    fprintf(stderr, "vectors line %d: frame_receive gave %d\n", line, result);
    return;
  }
  expect_bytes(line, "frame_receive", receiver.body, receiver.length, body, body_length);
}

/* A corrupted byte in a frame is caught by the CRC or the COBS check, never delivered. */
static void check_corruption(void) {
  const uint8_t body[] = {0x02, 0x01, 0x00, 0x00, 0x00, 0xe8, 0x03, 0x00, 0x00, 0x01, 0x10, 0x00};
  uint8_t wire[FRAME_MAX_WIRE];
  size_t length = frame_encode(body, sizeof body, wire);
  for (size_t at = 0; at + 1 < length; at++) {
    for (int bit = 0; bit < 8; bit++) {
      uint8_t copy[FRAME_MAX_WIRE];
      memcpy(copy, wire, length);
      copy[at] ^= (uint8_t)(1 << bit);
      frame_receiver receiver;
      frame_receiver_reset(&receiver);
      for (size_t i = 0; i < length; i++) {
        if (frame_receive(&receiver, copy[i]) == FRAME_OK) {
          failures++;
          fprintf(stderr, "corruption at byte %zu bit %d was delivered\n", at, bit);
        }
      }
    }
  }
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: host-test vectors.txt\n");
    return 2;
  }
  FILE *file = fopen(argv[1], "r");
  if (!file) {
    perror(argv[1]);
    return 2;
  }
  char text[4096];
  int line = 0, checked = 0;
  while (fgets(text, sizeof text, file)) {
    line++;
    char kind[16], a[1600], b[1600];
    if (text[0] == '#' || sscanf(text, "%15s %1599s %1599s", kind, a, b) != 3) continue;
    uint8_t in[600], out[600], got[600];
    size_t in_length = parse_hex(a, in, sizeof in), out_length = parse_hex(b, out, sizeof out);
    checked++;
    if (strcmp(kind, "crc16") == 0) {
      uint16_t crc = crc16(in, in_length);
      uint8_t crc_bytes[2] = {(uint8_t)(crc >> 8), (uint8_t)crc};
      expect_bytes(line, "crc16", crc_bytes, 2, out, out_length);
    } else if (strcmp(kind, "cobs") == 0) {
      size_t length = cobs_encode(in, in_length, got);
      expect_bytes(line, "cobs_encode", got, length, out, out_length);
      int decoded = cobs_decode(out, out_length, got);
      expect_bytes(line, "cobs_decode", got, decoded < 0 ? 0 : (size_t)decoded, in, in_length);
    } else if (strcmp(kind, "frame") == 0) {
      check_frame(line, in, in_length, out, out_length);
    } else {
      failures++;
      fprintf(stderr, "vectors line %d: unknown kind %s\n", line, kind);
    }
  }
  fclose(file);
  check_corruption();
  printf("host-test: %d vectors, %d failures\n", checked, failures);
  return failures == 0 ? 0 : 1;
}
