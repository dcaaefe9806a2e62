// Coupler Arduino firmware: samples the analog inputs and hands each reading to the gateway
// over the framed serial protocol of PROTOCOL.md, keeping it until the gateway acknowledges it.
#include <Arduino.h>
#include <string.h>
#include "frame.h"
#include "protocol.h"
#include "readings.h"
#include "settings.h"

static const uint32_t BAUD_RATE = 115200;
// PROTOCOL.md §4: unacknowledged readings are resent this long after the last progress.
static const uint32_t RETRANSMIT_AFTER_MS = 500;

static Settings settings;
static ReadingQueue queue;
static frame_receiver receiver;
static uint32_t lastSampleMs;
static uint32_t lastProgressMs;
static uint16_t lastCommandSequence;
static uint8_t lastCommandStatus;
static bool hasLastCommand;
static uint16_t badFrames;
static uint16_t skippedReadings;
static uint8_t wire[FRAME_MAX_WIRE];

static void send(const uint8_t *body, size_t length) {
  size_t wireLength = frame_encode(body, length, wire);
  Serial.write(wire, wireLength);
}

static void sendHello() {
#ifdef COUPLER_TEST_NEVER_HELLO
  // A deliberately broken build for the OTA rollback tests: it runs but never announces itself.
  return;
#endif
  uint8_t body[30 + DEVICE_ID_MAX];
  body[0] = MSG_HELLO;
  body[1] = PROTOCOL_VERSION;
  body[2] = FIRMWARE_VERSION_MAJOR;
  body[3] = FIRMWARE_VERSION_MINOR;
  body[4] = FIRMWARE_VERSION_PATCH;
  body[5] = CAPABILITY_ANALOG | CAPABILITY_CONFIG | CAPABILITY_OUTPUTS | CAPABILITY_DIGITAL_INPUTS;
  put_u16(body + 6, settings.bootCount);
  put_u32(body + 8, millis());
  put_u32(body + 12, queue.oldestSequence());
  put_u32(body + 16, queue.nextSequence());
  put_u16(body + 20, settings.intervalMs);
  body[22] = settings.channelMask;
  put_u16(body + 23, badFrames);
  put_u16(body + 25, skippedReadings);
  put_u16(body + 27, settings.digitalMask);
  body[29] = settings.idLength;
  memcpy(body + 30, settings.id, settings.idLength);
  send(body, 30 + settings.idLength);
}

static void sendReading(const Reading &reading) {
  uint8_t body[16 + 2 * ANALOG_CHANNELS];
  body[0] = MSG_READING;
  put_u16(body + 1, settings.bootCount);
  put_u32(body + 3, reading.sequence);
  // Age, not time of day: the device has no clock, and a resent reading keeps its true age.
  put_u32(body + 7, millis() - reading.uptimeMs);
  body[11] = reading.channelMask;
  put_u16(body + 12, reading.digitalMask);
  size_t length = 14;
  for (uint8_t channel = 0; channel < ANALOG_CHANNELS; channel++) {
    if (reading.channelMask & (1 << channel)) {
      put_u16(body + length, (uint16_t)reading.values[channel]);
      length += 2;
    }
  }
  if (reading.digitalMask != 0) {
    put_u16(body + length, reading.digitalLevels);
    length += 2;
  }
  send(body, length);
}

static void sendResult(uint16_t commandSequence, uint8_t status) {
  uint8_t body[4] = {MSG_RESULT, 0, 0, status};
  put_u16(body + 1, commandSequence);
  send(body, sizeof body);
}

static bool isPrintableId(const uint8_t *id, uint8_t length) {
  for (uint8_t i = 0; i < length; i++) {
    if (id[i] < 0x21 || id[i] > 0x7E) return false;
  }
  return true;
}

static void configureInputs() {
  // Inputs read a contact to ground: the pull-up holds an open contact at 1.
  for (uint8_t pin = FIRST_OUTPUT_PIN; pin <= LAST_OUTPUT_PIN; pin++) {
    if (settings.digitalMask & (1 << pin)) pinMode(pin, INPUT_PULLUP);
  }
}

// SET_CONFIG: command sequence u16, interval ms u16, channel mask u8, digital input mask u16,
// id length u8, id.
static uint8_t applyConfig(const uint8_t *body, uint8_t length) {
  if (length < 9) return STATUS_BAD_LENGTH;
  uint8_t idLength = body[8];
  if (idLength > DEVICE_ID_MAX || length != 9 + idLength) return STATUS_BAD_LENGTH;
  uint16_t intervalMs = get_u16(body + 3);
  uint8_t mask = body[5];
  uint16_t digitalMask = get_u16(body + 6);
  if ((mask & ~ALL_ANALOG_CHANNELS) != 0 || (digitalMask & ~ALL_DIGITAL_INPUTS) != 0 || !isPrintableId(body + 9, idLength)) return STATUS_BAD_VALUE;
  settings.intervalMs = intervalMs;
  settings.channelMask = mask;
  settings.digitalMask = digitalMask;
  if (idLength > 0) {
    settings.idLength = idLength;
    memcpy(settings.id, body + 9, idLength);
  }
  settings_save(settings);
  configureInputs();
  return STATUS_OK;
}

// SET_OUTPUT: command sequence u16, pin u8 (D2-D13), level u8 (0 low, 1 high).
static uint8_t setOutput(const uint8_t *body, uint8_t length) {
  if (length != 5) return STATUS_BAD_LENGTH;
  uint8_t pin = body[3];
  uint8_t level = body[4];
  if (pin < FIRST_OUTPUT_PIN || pin > LAST_OUTPUT_PIN || level > 1) return STATUS_BAD_VALUE;
  if (settings.digitalMask & (1 << pin)) return STATUS_BAD_VALUE; // configured as an input
  pinMode(pin, OUTPUT);
  digitalWrite(pin, level ? HIGH : LOW);
  return STATUS_OK;
}

static void handleCommand(const uint8_t *body, uint8_t length) {
  if (length < 3) {
    badFrames++;
    return;
  }
  uint16_t commandSequence = get_u16(body + 1);
  // A repeated command (its RESULT was lost) is answered again but not applied twice.
  if (hasLastCommand && commandSequence == lastCommandSequence) {
    sendResult(commandSequence, lastCommandStatus);
    return;
  }
  uint8_t status = STATUS_UNKNOWN_TYPE;
  if (body[0] == MSG_SET_CONFIG) status = applyConfig(body, length);
  else if (body[0] == MSG_SET_OUTPUT) status = setOutput(body, length);
  lastCommandSequence = commandSequence;
  lastCommandStatus = status;
  hasLastCommand = true;
  sendResult(commandSequence, status);
  if (body[0] == MSG_SET_CONFIG && status == STATUS_OK) sendHello();
}

static void handleFrame(const uint8_t *body, uint8_t length) {
  switch (body[0]) {
    case MSG_HELLO_REQUEST:
      queue.rewind();
      lastProgressMs = millis();
      sendHello();
      break;
    case MSG_ACK:
      // ACK: boot count u16, sequence u32 (cumulative), flags u8 (ACK_FLAG_RESEND: resend all
      // after it). An ACK for another boot's readings is not for these.
      if (length != 8) {
        badFrames++;
        break;
      }
      if (get_u16(body + 1) != settings.bootCount) break;
      if (queue.acknowledge(get_u32(body + 3)) > 0) lastProgressMs = millis();
      if (body[7] & ACK_FLAG_RESEND) {
        queue.rewind();
        lastProgressMs = millis();
      }
      break;
    default:
      handleCommand(body, length);
      break;
  }
}

static void receive() {
  while (Serial.available() > 0) {
    frame_result result = frame_receive(&receiver, (uint8_t)Serial.read());
    if (result == FRAME_OK) handleFrame(receiver.body, receiver.length);
    else if (result != FRAME_NONE) badFrames++;
  }
}

static void sample(uint32_t nowMs) {
  if (settings.intervalMs != 0) {
    if (nowMs - lastSampleMs < settings.intervalMs) return;
    lastSampleMs += settings.intervalMs;
    // After a stall, continue from now rather than catching up with a burst.
    if (nowMs - lastSampleMs >= settings.intervalMs) lastSampleMs = nowMs;
  }
  if (queue.isFull()) {
    if (settings.intervalMs != 0) skippedReadings++;
    return;
  }
  int16_t values[ANALOG_CHANNELS] = {0};
  for (uint8_t channel = 0; channel < ANALOG_CHANNELS; channel++) {
    if (settings.channelMask & (1 << channel)) values[channel] = (int16_t)analogRead(A0 + channel);
  }
  uint16_t levels = 0;
  for (uint8_t pin = FIRST_OUTPUT_PIN; pin <= LAST_OUTPUT_PIN; pin++) {
    if ((settings.digitalMask & (1 << pin)) && digitalRead(pin) == HIGH) levels |= (uint16_t)(1 << pin);
  }
  queue.push(nowMs, settings.channelMask, values, settings.digitalMask, levels);
}

static void transmit(uint32_t nowMs) {
  if (!queue.isEmpty() && !queue.hasUnsent() && nowMs - lastProgressMs >= RETRANSMIT_AFTER_MS) {
    queue.rewind();
    lastProgressMs = nowMs;
  }
  // Only as much as fits the transmit buffer, so the loop never blocks on the line.
  while (queue.hasUnsent() && Serial.availableForWrite() >= (int)FRAME_MAX_WIRE / 2) {
    const Reading *reading = queue.nextToSend();
    if (reading != nullptr) sendReading(*reading);
  }
}

void setup() {
  settings_load_and_count_boot(settings);
  configureInputs();
  frame_receiver_reset(&receiver);
  Serial.begin(BAUD_RATE);
  lastSampleMs = millis();
  lastProgressMs = lastSampleMs;
  // A lone delimiter first: it ends whatever partial frame the gateway holds (PROTOCOL.md §1).
  Serial.write((uint8_t)0);
  sendHello();
}

void loop() {
  uint32_t nowMs = millis();
  receive();
  sample(nowMs);
  transmit(nowMs);
}
