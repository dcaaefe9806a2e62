#include "frame.h"
#include "crc16.h"

size_t frame_encode(const uint8_t *body, size_t length, uint8_t *wire) {
  if (length == 0 || length > FRAME_MAX_BODY) return 0;
  uint8_t checked[FRAME_MAX_BODY + 2];
  for (size_t i = 0; i < length; i++) checked[i] = body[i];
  put_u16(checked + length, crc16(body, length));
  size_t encoded = cobs_encode(checked, length + 2, wire);
  wire[encoded] = 0;
  return encoded + 1;
}

void frame_receiver_reset(frame_receiver *receiver) {
  receiver->filled = 0;
  receiver->length = 0;
  receiver->overflowed = 0;
}

frame_result frame_receive(frame_receiver *receiver, uint8_t byte) {
  if (byte != 0) {
    if (receiver->filled < sizeof receiver->wire) receiver->wire[receiver->filled++] = byte;
    else receiver->overflowed = 1;
    return FRAME_NONE;
  }
  uint8_t filled = receiver->filled;
  uint8_t overflowed = receiver->overflowed;
  frame_receiver_reset(receiver);
  if (overflowed) return FRAME_TOO_LONG;
  if (filled == 0) return FRAME_NONE; /* back-to-back delimiters: idle fill, not an error */
  int decoded = cobs_decode(receiver->wire, filled, receiver->body);
  if (decoded < 0) return FRAME_BAD_COBS;
  if (decoded < 3) return FRAME_TOO_SHORT;
  uint16_t expected = get_u16(receiver->body + decoded - 2);
  if (crc16(receiver->body, (size_t)decoded - 2) != expected) return FRAME_BAD_CRC;
  receiver->length = (uint8_t)(decoded - 2);
  return FRAME_OK;
}

void put_u16(uint8_t *at, uint16_t value) {
  at[0] = (uint8_t)value;
  at[1] = (uint8_t)(value >> 8);
}

void put_u32(uint8_t *at, uint32_t value) {
  put_u16(at, (uint16_t)value);
  put_u16(at + 2, (uint16_t)(value >> 16));
}

uint16_t get_u16(const uint8_t *at) {
  return (uint16_t)(at[0] | (uint16_t)at[1] << 8);
}

uint32_t get_u32(const uint8_t *at) {
  return (uint32_t)get_u16(at) | (uint32_t)get_u16(at + 2) << 16;
}
