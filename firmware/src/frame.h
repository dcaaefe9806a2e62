/* Frames of the Coupler serial protocol (PROTOCOL.md §1-2): a body (type byte + payload)
 * followed by its CRC-16 (little-endian), COBS-encoded, then one 0x00 delimiter. */
#ifndef COUPLER_FRAME_H
#define COUPLER_FRAME_H

#include <stddef.h>
#include <stdint.h>
#include "cobs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest body (type + payload) either side may send; bigger frames are dropped as too long. */
#define FRAME_MAX_BODY 48
#define FRAME_MAX_WIRE (COBS_MAX_ENCODED(FRAME_MAX_BODY + 2) + 1)

/* Writes the wire form of `body` into `wire` (FRAME_MAX_WIRE bytes); returns its length, 0 if
 * the body is empty or longer than FRAME_MAX_BODY. */
size_t frame_encode(const uint8_t *body, size_t length, uint8_t *wire);

typedef enum {
  FRAME_NONE = 0,     /* byte consumed, no frame complete yet */
  FRAME_OK,           /* a frame is complete: body in receiver->body, length receiver->length */
  FRAME_BAD_COBS,     /* a delimited block that is not valid COBS */
  FRAME_BAD_CRC,      /* decoded, but the check does not match */
  FRAME_TOO_SHORT,    /* fewer bytes than a type and a CRC */
  FRAME_TOO_LONG      /* more than FRAME_MAX_WIRE bytes before a delimiter */
} frame_result;

typedef struct {
  uint8_t wire[FRAME_MAX_WIRE];
  uint8_t body[FRAME_MAX_WIRE];
  uint8_t filled;
  uint8_t length;
  uint8_t overflowed;
} frame_receiver;

void frame_receiver_reset(frame_receiver *receiver);
/* Feeds one byte from the line. Resynchronises by itself: any error ends at the next 0x00. */
frame_result frame_receive(frame_receiver *receiver, uint8_t byte);

/* Little-endian field helpers for message bodies. */
void put_u16(uint8_t *at, uint16_t value);
void put_u32(uint8_t *at, uint32_t value);
uint16_t get_u16(const uint8_t *at);
uint32_t get_u32(const uint8_t *at);

#ifdef __cplusplus
}
#endif

#endif
