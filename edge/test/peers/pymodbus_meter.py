"""A Modbus meter served by Debian's pymodbus (a peer nobody here wrote), over RTU on a serial
port or pty (--port) or over Modbus TCP (--tcp HOST:PORT), for the Modbus tests.

Input registers (FC 04), the same for every served unit id except the last one:
  0  float32 ABCD  230.1          2  float32 CDAB  -12.25
  4  int32   ABCD  -123456789     6  int32   CDAB  1234567890
  8  uint16        the unit id
Unit ids not listed get no answer at all, as a dead meter on a bus.
Run with Debian's interpreter: /usr/bin/python3 (python3-pymodbus, python3-serial-asyncio).
Prints "ready <port>" once it serves; stops by itself after --stop-after seconds.
"""
import argparse
import asyncio
import logging
import struct
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartAsyncSerialServer, StartAsyncTcpServer
from pymodbus.transaction import ModbusRtuFramer


def words(fmt, value, swap_words):
    high, low = struct.unpack(">HH", struct.pack(fmt, value))
    return [low, high] if swap_words else [high, low]


def registers(unit):
    return (
        words(">f", 230.1, False)
        + words(">f", -12.25, True)
        + words(">i", -123456789, False)
        + words(">i", 1234567890, True)
        + [unit]
    )


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port")
    parser.add_argument("--tcp")
    parser.add_argument("--baud", type=int, default=9600)
    parser.add_argument("--units", default="1")
    parser.add_argument("--stop-after", type=float, default=120)
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)
    units = [int(u) for u in args.units.split(",")]
    slaves = {
        unit: ModbusSlaveContext(ir=ModbusSequentialDataBlock(0, registers(unit)), zero_mode=True)
        for unit in units
    }
    context = ModbusServerContext(slaves=slaves, single=False)
    if args.tcp:
        host, port = args.tcp.rsplit(":", 1)
        server = await StartAsyncTcpServer(
            context=context, address=(host, int(port)), ignore_missing_slaves=True, defer_start=True
        )
        task = asyncio.create_task(server.serve_forever())
        await server.serving
        print(f"ready {args.tcp}", flush=True)
        await asyncio.sleep(args.stop_after)
        task.cancel()
        await server.server_close()
        return
    server = await StartAsyncSerialServer(
        context=context,
        framer=ModbusRtuFramer,
        port=args.port,
        baudrate=args.baud,
        ignore_missing_slaves=True,
        defer_start=True,
    )
    await server.start()
    print(f"ready {args.port}", flush=True)
    await asyncio.sleep(args.stop_after)
    await server.shutdown()


if __name__ == "__main__":
    asyncio.run(main())
    sys.exit(0)
