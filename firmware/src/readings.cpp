#include "readings.h"

bool ReadingQueue::push(uint32_t uptimeMs, uint8_t channelMask, const int16_t *values, uint16_t digitalMask, uint16_t digitalLevels) {
  if (isFull()) return false;
  Reading &slot = slots_[(head_ + count_) % READINGS_CAPACITY];
  slot.sequence = nextSequence_++;
  slot.uptimeMs = uptimeMs;
  slot.channelMask = channelMask;
  slot.digitalMask = digitalMask;
  slot.digitalLevels = digitalLevels;
  for (uint8_t i = 0; i < ANALOG_CHANNELS; i++) slot.values[i] = values[i];
  count_++;
  return true;
}

uint8_t ReadingQueue::acknowledge(uint32_t sequence) {
  uint8_t dropped = 0;
  // An ACK for a sequence never issued is a gateway fault: acknowledging by it could drop
  // readings that were never sent, so it is ignored.
  if ((int32_t)(sequence - nextSequence_) >= 0) return 0;
  while (count_ > 0 && (int32_t)(sequence - at(0).sequence) >= 0) {
    head_ = (head_ + 1) % READINGS_CAPACITY;
    count_--;
    dropped++;
    if (sent_ > 0) sent_--;
  }
  return dropped;
}

const Reading *ReadingQueue::nextToSend() {
  if (sent_ >= count_) return nullptr;
  return &at(sent_++);
}
