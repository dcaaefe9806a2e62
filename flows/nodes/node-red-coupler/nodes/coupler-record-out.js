'use strict';
const { DEVICE_ID, KIND_OF_LANE, deviceTopic } = require('./topics.js');

const NAME = /^.{1,64}$/;

/** Builds the reading payload of docs/topics.md from a message, or throws naming what is wrong. */
function readingOf(msg, config) {
  const timestampMs = typeof msg.timestampMs === 'number' ? msg.timestampMs : Date.now();
  const quality = msg.quality || 'good';
  if (typeof msg.payload === 'number') {
    const name = config.signal || msg.signal;
    if (!name || !NAME.test(name)) throw new Error('a number payload needs a signal name (the node\'s Signal or msg.signal), 1-64 characters');
    if (!Number.isFinite(msg.payload)) throw new Error(`msg.payload must be a finite number (got ${msg.payload})`);
    const value = { name, value: msg.payload };
    const unit = config.unit || msg.unit;
    if (unit) value.unit = unit;
    return { timestampMs, quality, values: [value] };
  }
  if (msg.payload && Array.isArray(msg.payload.values)) {
    return { timestampMs, quality, ...msg.payload };
  }
  throw new Error('msg.payload must be a number, or a reading with a values array (docs/topics.md)');
}

/**
 * Record out: publishes a reading for a device at QoS 1 on the topic of the chosen lane (bulk
 * telemetry, alarm or billing), so the gateway stores it durably and syncs it to the cloud. The
 * message is done when the gateway has acknowledged it, i.e. when the record is on disk.
 */
module.exports = function (RED) {
  function CouplerRecordOut(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    node.broker = RED.nodes.getNode(config.broker);
    const kind = KIND_OF_LANE[config.lane || 'bulk'];
    if (!node.broker || !kind) {
      node.status({ fill: 'red', shape: 'ring', text: node.broker ? 'bad lane' : 'no broker' });
      node.error(node.broker ? `coupler record out: lane must be bulk, alarm or billing (got ${config.lane})` : 'coupler record out: choose the coupler bus (an mqtt-broker config node)');
      return;
    }
    node.broker.register(node);
    node.on('input', (msg, send, done) => {
      const deviceId = (config.device || '').trim() || msg.deviceId;
      if (typeof deviceId !== 'string' || !DEVICE_ID.test(deviceId)) {
        done(new Error(`coupler record out: device id ${JSON.stringify(deviceId)} must match ${DEVICE_ID.source} (set the node's Device or msg.deviceId)`));
        return;
      }
      let reading;
      try {
        reading = readingOf(msg, config);
      } catch (err) {
        done(new Error(`coupler record out: ${err.message}`));
        return;
      }
      const topic = deviceTopic(deviceId, kind);
      if (!node.broker.connected) {
        // The broker node drops a publish while disconnected without calling back: say so.
        done(new Error(`coupler record out: ${topic}: not connected to the gateway's bus; the record was not stored`));
        return;
      }
      node.broker.publish({ topic, payload: JSON.stringify(reading), qos: 1, retain: false }, (err) => {
        if (err) done(new Error(`coupler record out: ${topic}: ${err.message || err}`));
        else done();
      });
    });
    node.on('close', (removed, done) => {
      node.broker.deregister(node, done, removed);
    });
  }
  RED.nodes.registerType('coupler-record-out', CouplerRecordOut);
};
