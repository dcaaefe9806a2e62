/* Readings handed over to the gateway but not yet acknowledged by it (PROTOCOL.md §4).
 * A reading leaves this queue only when an ACK covers its sequence number; until then it is
 * resent. When the queue is full no new reading is taken (counted as skipped), so nothing
 * that was queued is ever overwritten. */
#ifndef COUPLER_READINGS_H
#define COUPLER_READINGS_H

#include <stdint.h>
#include "protocol.h"

#define READINGS_CAPACITY 32

struct Reading {
  uint32_t sequence;
  uint32_t uptimeMs;
  uint8_t channelMask;
  uint16_t digitalMask;
  uint16_t digitalLevels;
  int16_t values[ANALOG_CHANNELS];
};

class ReadingQueue {
 public:
  ReadingQueue() : head_(0), count_(0), sent_(0), nextSequence_(1) {}

  bool isFull() const { return count_ == READINGS_CAPACITY; }
  uint32_t nextSequence() const { return nextSequence_; }
  /* The oldest sequence still held, or nextSequence() when nothing is held. */
  uint32_t oldestSequence() const { return count_ == 0 ? nextSequence_ : at(0).sequence; }

  /* Appends a reading and gives it the next sequence number; false when full. */
  bool push(uint32_t uptimeMs, uint8_t channelMask, const int16_t *values, uint16_t digitalMask, uint16_t digitalLevels);
  /* Drops every reading with a sequence <= `sequence`; returns how many. */
  uint8_t acknowledge(uint32_t sequence);
  /* The next reading not yet sent since the last rewind, or nullptr. */
  const Reading *nextToSend();
  /* Resends from the oldest held reading on (go-back-N retransmission). */
  void rewind() { sent_ = 0; }
  bool hasUnsent() const { return sent_ < count_; }
  bool isEmpty() const { return count_ == 0; }

 private:
  const Reading &at(uint8_t index) const { return slots_[(head_ + index) % READINGS_CAPACITY]; }
  Reading slots_[READINGS_CAPACITY];
  uint8_t head_;
  uint8_t count_;
  uint8_t sent_;
  uint32_t nextSequence_;
};

#endif
