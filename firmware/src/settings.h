/* What the device keeps in EEPROM across resets and power cycles (PROTOCOL.md §5). */
#ifndef COUPLER_SETTINGS_H
#define COUPLER_SETTINGS_H

#include <stdint.h>
#include "protocol.h"

struct Settings {
  uint16_t bootCount;
  uint16_t intervalMs;
  uint8_t channelMask;
  uint16_t digitalMask;
  uint8_t idLength;
  char id[DEVICE_ID_MAX];
};

/* Reads the settings (defaults when the EEPROM was never written) and counts this boot. */
void settings_load_and_count_boot(Settings &settings);
void settings_save(const Settings &settings);

#endif
