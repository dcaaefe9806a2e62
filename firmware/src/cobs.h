/* Consistent Overhead Byte Stuffing (Cheshire and Baker, 1999): removes every 0x00 from a
 * block so that 0x00 can delimit frames on the serial line (PROTOCOL.md §1). */
#ifndef COUPLER_COBS_H
#define COUPLER_COBS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Worst-case encoded size of `length` bytes (without the 0x00 delimiter). */
#define COBS_MAX_ENCODED(length) ((length) + (length) / 254 + 1)

/* Encodes `length` bytes of `in` into `out` (at least COBS_MAX_ENCODED(length) bytes).
 * Returns the encoded length; no 0x00 is written. */
size_t cobs_encode(const uint8_t *in, size_t length, uint8_t *out);

/* Decodes `length` bytes (one frame without its delimiter) into `out` (at least `length`
 * bytes). Returns the decoded length, or -1 when the block is not valid COBS. */
int cobs_decode(const uint8_t *in, size_t length, uint8_t *out);

#ifdef __cplusplus
}
#endif

#endif
