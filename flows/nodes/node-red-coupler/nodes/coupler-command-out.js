'use strict';
const { randomUUID } = require('node:crypto');
const { DEVICE_ID, deviceTopic } = require('./topics.js');

const COMMAND = /^[a-z][a-z0-9-]{0,63}$/;
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Device command out: publishes msg.payload as a command to a device's driver
 * (`coupler/v1/devices/{id}/commands/{command}`, docs/topics.md) with a request id, and waits for
 * the driver's answer on `.../command-results`. `ok` sends the message on with the result as its
 * payload; any other status, or no answer in time, is an error naming the device, the command and
 * the reason, which a Catch node sees.
 */
module.exports = function (RED) {
  function CouplerCommandOut(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    const timeoutMs = Number(config.timeoutMs) > 0 ? Number(config.timeoutMs) : DEFAULT_TIMEOUT_MS;
    /** requestId -> { msg, send, done, timer, what } */
    const pending = new Map();
    node.broker = RED.nodes.getNode(config.broker);
    if (!node.broker) {
      node.status({ fill: 'red', shape: 'ring', text: 'no broker' });
      node.error('coupler command out: choose the coupler bus (an mqtt-broker config node)');
      return;
    }
    const resultsTopic = deviceTopic('+', 'command-results');
    node.broker.register(node);
    node.broker.subscribe(resultsTopic, { qos: 1 }, (_topic, payload) => {
      let result;
      try {
        result = JSON.parse(payload.toString('utf8'));
      } catch {
        return; // Not an answer this node can match to a request.
      }
      const request = result && pending.get(result.requestId);
      if (!request) return;
      pending.delete(result.requestId);
      clearTimeout(request.timer);
      if (result.status === 'ok') {
        request.msg.payload = result;
        request.send(request.msg);
        request.done();
      } else {
        request.done(new Error(`coupler command out: ${request.what}: ${result.status}${result.message ? ` (${result.message})` : ''}`));
      }
    }, node.id);

    node.on('input', (msg, send, done) => {
      const deviceId = (config.device || '').trim() || msg.deviceId;
      const command = (config.command || '').trim() || msg.command;
      if (typeof deviceId !== 'string' || !DEVICE_ID.test(deviceId)) {
        done(new Error(`coupler command out: device id ${JSON.stringify(deviceId)} must match ${DEVICE_ID.source} (set the node's Device or msg.deviceId)`));
        return;
      }
      if (typeof command !== 'string' || !COMMAND.test(command)) {
        done(new Error(`coupler command out: command ${JSON.stringify(command)} must match ${COMMAND.source} (set the node's Command or msg.command)`));
        return;
      }
      if (msg.payload === null || typeof msg.payload !== 'object' || Array.isArray(msg.payload)) {
        done(new Error(`coupler command out: msg.payload must be the command's object, e.g. { "pin": 7, "level": 1 } for set-output`));
        return;
      }
      const what = `${command} to ${deviceId}`;
      if (!node.broker.connected) {
        done(new Error(`coupler command out: ${what}: not connected to the gateway's bus`));
        return;
      }
      const requestId = typeof msg.payload.requestId === 'string' ? msg.payload.requestId : randomUUID();
      const timer = setTimeout(() => {
        pending.delete(requestId);
        done(new Error(`coupler command out: ${what}: no result within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(requestId, { msg, send, done, timer, what });
      node.broker.publish({ topic: `${deviceTopic(deviceId, 'commands')}/${command}`, payload: JSON.stringify({ ...msg.payload, requestId }), qos: 1, retain: false }, (err) => {
        if (!err) return;
        pending.delete(requestId);
        clearTimeout(timer);
        done(new Error(`coupler command out: ${what}: ${err.message || err}`));
      });
    });

    node.on('close', (removed, done) => {
      for (const [requestId, request] of pending) {
        clearTimeout(request.timer);
        request.done(new Error(`coupler command out: ${request.what}: the flow stopped before the result came`));
        pending.delete(requestId);
      }
      node.broker.unsubscribe(resultsTopic, node.id, removed);
      node.broker.deregister(node, done, removed);
    });
  }
  RED.nodes.registerType('coupler-command-out', CouplerCommandOut);
};
