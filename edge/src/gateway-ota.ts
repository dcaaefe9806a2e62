import { ATMEGA328P, parseIntelHex, toIntelHex, type ArduinoPort } from './devices/arduino/index.js';
import type { FirmwareTarget } from './ota/index.js';

const HELLO_POLL_MS = 50;

/**
 * The OTA executor's view of one Arduino: Intel HEX artifacts flashed through the port's
 * Optiboot (the session pauses meanwhile). A hello counts as "after the flash" when its boot
 * count differs from the one before: the firmware counts every boot in EEPROM, and a flash
 * always ends in a reset, so an old hello can never be taken for the new firmware's.
 */
export function arduinoFirmwareTarget(port: ArduinoPort): FirmwareTarget {
  let bootCountBefore: number | undefined;
  return {
    imageProblem: (content) => {
      try {
        parseIntelHex(Buffer.from(content).toString('latin1'), ATMEGA328P.applicationBytes);
        return undefined;
      } catch (err) {
        return `the firmware is not a flashable image: ${(err as Error).message}`;
      }
    },
    flash: async (content) => {
      bootCountBefore = port.status().bootCount;
      const image = parseIntelHex(Buffer.from(content).toString('latin1'), ATMEGA328P.applicationBytes);
      const result = await port.flash(image);
      return { bytesWritten: result.bytesWritten, pagesVerified: result.pages };
    },
    waitForHello: async (timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { firmwareVersion, bootCount } = port.status();
        if (firmwareVersion !== undefined && bootCount !== bootCountBefore) return firmwareVersion;
        if (Date.now() >= deadline) throw new Error(`no hello within ${timeoutMs} ms of the flash`);
        await new Promise((resolve) => setTimeout(resolve, HELLO_POLL_MS));
      }
    },
    // The application section as Intel HEX (trailing erased pages left out), under the version of the device's last hello.
    readInstalled: async () => {
      const version = port.status().firmwareVersion;
      if (version === undefined) throw new Error('the device has not said hello since the gateway started, so the version of its firmware is unknown');
      const flash = await port.readFlash();
      if (flash.bytes.length === 0) return undefined;
      return { content: Buffer.from(toIntelHex(flash.bytes), 'latin1'), version };
    },
  };
}
