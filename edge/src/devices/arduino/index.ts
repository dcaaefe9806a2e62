// Public API of the Arduino capability (STYLE §2.6): named exports only.
export { createArduinoDevices } from './arduino-devices.js';
export type { ArduinoDeviceConfig, ArduinoDevices, ArduinoDevicesDeps, ArduinoDevicesOptions } from './arduino-devices.js';
export { ArduinoPort } from './port-watcher.js';
export { createArduinoMetrics } from './metrics.js';
export type { ArduinoMetrics } from './metrics.js';
export type { ArduinoDeviceStatus, ArduinoPortDeps, ArduinoPortOptions, ArduinoStatus } from './port-watcher.js';
export type { PositionedReading, SourcedReadingStore } from './ports.js';
export { cobsDecode, cobsEncode, crc16Ccitt, encodeFrame, FrameDecoder, FRAME_FAULTS, MAX_BODY_BYTES } from './framing.js';
export type { FrameEvent, FrameFault } from './framing.js';
export { decodeDeviceMessage, encodeAck, encodeHelloRequest, encodeSetConfig, encodeSetOutput, MessageType, OUTPUT_PINS, PROTOCOL_VERSION } from './messages.js';
export type { CommandResult, DeviceMessage, DeviceReading, DeviceSettings, Hello } from './messages.js';
export { parseIntelHex } from './intel-hex.js';
export type { FlashImage } from './intel-hex.js';
export { ATMEGA328P, flashArduino } from './stk500.js';
export type { FlashOptions, FlashResult } from './stk500.js';
export { durableReadingStore } from './reading-store.js';
export type { LocalDelivery, SourceAppender } from './reading-store.js';
