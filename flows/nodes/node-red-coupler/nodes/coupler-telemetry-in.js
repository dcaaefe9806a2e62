'use strict';
const { DEVICE_ID, deviceIdOf, deviceTopic } = require('./topics.js');

const KINDS = new Set(['telemetry', 'alarm', 'billing']);

/**
 * Device telemetry in: subscribes (QoS 1) to one device's telemetry (or its alarm or billing
 * records), or every device's, through a core `mqtt-broker` config node, and sends one message per
 * reading. With a signal name it sends that value alone (msg.payload a number, msg.unit) and skips
 * readings without it.
 */
module.exports = function (RED) {
  function CouplerTelemetryIn(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const device = (config.device || '').trim();
    const signal = (config.signal || '').trim();
    const kind = config.kind || 'telemetry';
    node.broker = RED.nodes.getNode(config.broker);
    if (!node.broker) {
      node.status({ fill: 'red', shape: 'ring', text: 'no broker' });
      node.error('coupler telemetry in: choose the coupler bus (an mqtt-broker config node)');
      return;
    }
    if (device !== '' && !DEVICE_ID.test(device)) {
      node.status({ fill: 'red', shape: 'ring', text: 'bad device id' });
      node.error(`coupler telemetry in: device id "${device}" must match ${DEVICE_ID.source}`);
      return;
    }
    if (!KINDS.has(kind)) {
      node.status({ fill: 'red', shape: 'ring', text: 'bad kind' });
      node.error(`coupler telemetry in: kind must be telemetry, alarm or billing (got ${kind})`);
      return;
    }
    const topic = deviceTopic(device === '' ? '+' : device, kind);
    node.broker.register(node);
    node.broker.subscribe(topic, { qos: 1 }, (receivedTopic, payload) => {
      let reading;
      try {
        reading = JSON.parse(payload.toString('utf8'));
      } catch (err) {
        node.warn(`coupler telemetry in: ${receivedTopic}: not JSON (${err.message}); a CBOR reading is not decoded here`);
        return;
      }
      if (!reading || !Array.isArray(reading.values)) {
        node.warn(`coupler telemetry in: ${receivedTopic}: a reading has a values array`);
        return;
      }
      const base = {
        topic: receivedTopic,
        deviceId: deviceIdOf(receivedTopic),
        timestampMs: typeof reading.timestampMs === 'number' ? reading.timestampMs : Date.now(),
        quality: reading.quality || 'good',
      };
      if (signal === '') {
        node.send({ ...base, payload: reading });
        return;
      }
      const entry = reading.values.find((value) => value && value.name === signal);
      if (entry) node.send({ ...base, signal, payload: entry.value, unit: entry.unit });
    }, node.id);
    node.status({ fill: 'green', shape: 'dot', text: device === '' ? 'all devices' : device });
    node.on('close', (removed, done) => {
      node.broker.unsubscribe(topic, node.id, removed);
      node.broker.deregister(node, done, removed);
    });
  }
  RED.nodes.registerType('coupler-telemetry-in', CouplerTelemetryIn);
};
