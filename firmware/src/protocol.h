/* Message types and sizes of the Coupler serial protocol, version 1 (PROTOCOL.md §3).
 * Multi-byte fields are little-endian. */
#ifndef COUPLER_PROTOCOL_H
#define COUPLER_PROTOCOL_H

#define PROTOCOL_VERSION 1

/* A build may set its own version (make firmware-variant DEFINES=-DFIRMWARE_VERSION_MINOR=2). */
#ifndef FIRMWARE_VERSION_MAJOR
#define FIRMWARE_VERSION_MAJOR 0
#endif
#ifndef FIRMWARE_VERSION_MINOR
#define FIRMWARE_VERSION_MINOR 1
#endif
#ifndef FIRMWARE_VERSION_PATCH
#define FIRMWARE_VERSION_PATCH 0
#endif

/* device -> gateway */
#define MSG_HELLO 0x01
#define MSG_READING 0x02
#define MSG_RESULT 0x06
/* gateway -> device */
#define MSG_HELLO_REQUEST 0x03
#define MSG_ACK 0x04
#define MSG_SET_CONFIG 0x05
#define MSG_SET_OUTPUT 0x07

/* ACK flags */
#define ACK_FLAG_RESEND 0x01

/* RESULT status codes */
#define STATUS_OK 0
#define STATUS_BAD_LENGTH 1
#define STATUS_BAD_VALUE 2
#define STATUS_UNKNOWN_TYPE 3

/* Capability bits announced in HELLO */
#define CAPABILITY_ANALOG 0x01
#define CAPABILITY_CONFIG 0x02
#define CAPABILITY_OUTPUTS 0x04
#define CAPABILITY_DIGITAL_INPUTS 0x08

#define DEVICE_ID_MAX 16
#define ANALOG_CHANNELS 6
#define ALL_ANALOG_CHANNELS 0x3F
/* Digital outputs a command may drive: D2-D13 (D0 and D1 carry the serial line). */
#define FIRST_OUTPUT_PIN 2
#define LAST_OUTPUT_PIN 13
/* Digital inputs a reading may carry: bits 2-13 of a u16 mask, one per pin D2-D13. */
#define ALL_DIGITAL_INPUTS 0x3FFC

#endif
