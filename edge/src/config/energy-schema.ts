import { Type, type Static } from '@sinclair/typebox';

export const EnergyMeter = Type.Object(
  {
    deviceId: Type.String({ minLength: 1, description: 'Id of the Modbus device (modbus.devices[].id) whose energy counters make the periods.' }),
    importSignal: Type.String({ minLength: 1, default: 'importActiveEnergy', description: 'Signal of the import (consumed) active energy counter, in Wh, kWh or MWh.' }),
    exportSignal: Type.String({ minLength: 1, default: 'exportActiveEnergy', description: 'Signal of the export (regenerated) counter; a meter whose readings lack it reports no regenerated energy.' }),
    meterIdSignal: Type.Optional(Type.String({ minLength: 1, description: 'Signal carrying the meter serial number, so a replaced meter is flagged as such.' })),
    maxPowerKw: Type.Number({ exclusiveMinimum: 0, default: 10_000, description: 'Largest power the meter can see; a counter rising faster is flagged as a jump and not counted as energy.' }),
  },
  { additionalProperties: false },
);

export const EnergySection = Type.Object(
  {
    meters: Type.Array(EnergyMeter, { default: [], description: 'Meters whose counters are compiled into 5-minute energy-billing records (lane billing, never dropped).' }),
    boundaryToleranceMs: Type.Integer({ minimum: 0, maximum: 300_000, default: 5000, description: 'A period reading taken later than this after its boundary marks the period time quality 1 (off boundary).' }),
    clockSyncFile: Type.String({ default: '/run/systemd/timesync/synchronized', description: 'A file that exists while the system clock is synchronised (systemd-timesyncd creates this one); without it periods get time quality 2. Empty: treat the clock as synchronised.' }),
    fixedPosition: Type.Optional(
      Type.Object(
        {
          latitude: Type.Number({ minimum: -90, maximum: 90, description: 'Degrees north.' }),
          longitude: Type.Number({ minimum: -180, maximum: 180, description: 'Degrees east.' }),
        },
        { additionalProperties: false, description: 'A fixed position put in every period record, for a stationary installation; a train needs a GNSS position source instead.' },
      ),
    ),
  },
  { additionalProperties: false, default: {} },
);

export type EnergyMeterConfig = Static<typeof EnergyMeter>;
