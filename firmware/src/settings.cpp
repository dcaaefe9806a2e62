#include <EEPROM.h>
#include "settings.h"

// Layout (PROTOCOL.md §5): 0-1 magic "CP", 2 layout version, 3-4 boot count, 5-6 interval,
// 7 channel mask, 8 id length, 9-24 id, 25-26 digital input mask (layout 2). EEPROM.update() skips unchanged cells to spare wear.
static const uint8_t MAGIC_0 = 'C';
static const uint8_t MAGIC_1 = 'P';
static const uint8_t LAYOUT_VERSION = 2;
static const uint16_t DEFAULT_INTERVAL_MS = 1000;

static void write_u16(int address, uint16_t value) {
  EEPROM.update(address, (uint8_t)value);
  EEPROM.update(address + 1, (uint8_t)(value >> 8));
}

static uint16_t read_u16(int address) {
  return (uint16_t)(EEPROM.read(address) | (uint16_t)EEPROM.read(address + 1) << 8);
}

void settings_save(const Settings &settings) {
  EEPROM.update(0, MAGIC_0);
  EEPROM.update(1, MAGIC_1);
  EEPROM.update(2, LAYOUT_VERSION);
  write_u16(3, settings.bootCount);
  write_u16(5, settings.intervalMs);
  EEPROM.update(7, settings.channelMask);
  EEPROM.update(8, settings.idLength);
  for (uint8_t i = 0; i < DEVICE_ID_MAX; i++) EEPROM.update(9 + i, i < settings.idLength ? settings.id[i] : 0);
  write_u16(25, settings.digitalMask);
}

void settings_load_and_count_boot(Settings &settings) {
  // Layout 1 had no digital inputs: it is read as layout 2 without any, and rewritten as 2.
  uint8_t layout = EEPROM.read(2);
  bool isWritten = EEPROM.read(0) == MAGIC_0 && EEPROM.read(1) == MAGIC_1 && (layout == 1 || layout == LAYOUT_VERSION);
  if (isWritten) {
    settings.bootCount = read_u16(3);
    settings.intervalMs = read_u16(5);
    settings.channelMask = EEPROM.read(7) & ALL_ANALOG_CHANNELS;
    settings.idLength = EEPROM.read(8);
    if (settings.idLength > DEVICE_ID_MAX) settings.idLength = 0;
    for (uint8_t i = 0; i < DEVICE_ID_MAX; i++) settings.id[i] = (char)EEPROM.read(9 + i);
    settings.digitalMask = layout == 1 ? 0 : read_u16(25) & ALL_DIGITAL_INPUTS;
  } else {
    settings.bootCount = 0;
    settings.intervalMs = DEFAULT_INTERVAL_MS;
    settings.channelMask = ALL_ANALOG_CHANNELS;
    settings.digitalMask = 0;
    settings.idLength = 0;
  }
  settings.bootCount++;
  settings_save(settings);
}
