/* CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR.
 * Check value: crc16 of the ASCII bytes "123456789" is 0x29B1 (PROTOCOL.md §2). */
#ifndef COUPLER_CRC16_H
#define COUPLER_CRC16_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

uint16_t crc16_update(uint16_t crc, uint8_t byte);
uint16_t crc16(const uint8_t *data, size_t length);

#ifdef __cplusplus
}
#endif

#endif
