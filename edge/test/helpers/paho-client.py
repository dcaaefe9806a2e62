#!/usr/bin/python3
"""A Paho MQTT client (Debian's python3-paho-mqtt 1.6) driven line by line, for the tests.

It connects with the options on the command line, then reads JSON commands on stdin:
  {"op": "subscribe", "topic": "...", "qos": 1}
  {"op": "publish", "topic": "...", "payload": "...", "qos": 1, "retain": false}
  {"op": "disconnect"}   clean DISCONNECT, then exit
  {"op": "die"}          exit without DISCONNECT (the broker publishes the will)
and prints one JSON line per event: connack, suback, published (the QoS 0 write, PUBACK or
PUBCOMP), message, disconnected.
"""
import argparse
import json
import os
import sys
import threading

import paho.mqtt.client as mqtt

PROTOCOLS = {"3.1.1": mqtt.MQTTv311, "5": mqtt.MQTTv5}
print_lock = threading.Lock()


def emit(event):
    with print_lock:
        sys.stdout.write(json.dumps(event) + "\n")
        sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--clean", choices=["true", "false"], default="true")
    parser.add_argument("--protocol", choices=sorted(PROTOCOLS), default="3.1.1")
    parser.add_argument("--will-topic")
    parser.add_argument("--will-payload", default="")
    parser.add_argument("--will-qos", type=int, default=0)
    args = parser.parse_args()

    protocol = PROTOCOLS[args.protocol]
    if protocol == mqtt.MQTTv5:
        client = mqtt.Client(client_id=args.client_id, protocol=protocol)
    else:
        client = mqtt.Client(client_id=args.client_id, clean_session=args.clean == "true", protocol=protocol)
    client.username_pw_set(args.username, args.password)
    if args.will_topic:
        client.will_set(args.will_topic, args.will_payload, qos=args.will_qos)

    def on_connect(_client, _userdata, flags, rc, _properties=None):
        code = rc.value if hasattr(rc, "value") else rc
        emit({"event": "connack", "returnCode": code, "sessionPresent": bool(flags.get("session present"))})
        if code != 0:
            # A refused client does not retry; the test reads the code.
            os._exit(3)

    def on_subscribe(_client, _userdata, mid, granted, _properties=None):
        emit({"event": "suback", "mid": mid, "granted": [g.value if hasattr(g, "value") else g for g in granted]})

    def on_publish(_client, _userdata, mid):
        emit({"event": "published", "mid": mid})

    def on_message(_client, _userdata, message):
        emit({"event": "message", "topic": message.topic, "payload": message.payload.decode("utf-8", "replace"), "qos": message.qos, "retain": bool(message.retain)})

    def on_disconnect(_client, _userdata, rc, _properties=None):
        emit({"event": "disconnected", "returnCode": rc.value if hasattr(rc, "value") else rc})

    client.on_connect = on_connect
    client.on_subscribe = on_subscribe
    client.on_publish = on_publish
    client.on_message = on_message
    client.on_disconnect = on_disconnect
    client.connect("127.0.0.1", args.port, keepalive=30)
    client.loop_start()

    for line in sys.stdin:
        command = json.loads(line)
        op = command["op"]
        if op == "subscribe":
            client.subscribe(command["topic"], qos=command["qos"])
        elif op == "publish":
            info = client.publish(command["topic"], command["payload"], qos=command["qos"], retain=command.get("retain", False))
            emit({"event": "publishing", "mid": info.mid})
        elif op == "disconnect":
            client.disconnect()
            client.loop_stop()
            return 0
        elif op == "die":
            # No DISCONNECT packet: the broker sees the connection end and publishes the will.
            os._exit(0)
    client.loop_stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
