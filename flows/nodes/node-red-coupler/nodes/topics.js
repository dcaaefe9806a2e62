'use strict';
// The gateway's bus topics (docs/topics.md). Kept here because Node-RED nodes talk to the
// gateway over MQTT only and never import its code (STYLE §2.7).
const TOPIC_ROOT = 'coupler/v1';
const DEVICE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Lane of the gateway's buffer -> the topic kind that puts a record there. */
const KIND_OF_LANE = { bulk: 'telemetry', alarm: 'alarm', billing: 'billing' };

function deviceTopic(deviceId, kind) {
  return `${TOPIC_ROOT}/devices/${deviceId}/${kind}`;
}

/** `coupler/v1/devices/{id}/telemetry` -> id, or undefined. */
function deviceIdOf(topic) {
  const parts = topic.split('/');
  return parts.length === 5 && parts[2] === 'devices' ? parts[3] : undefined;
}

module.exports = { DEVICE_ID, KIND_OF_LANE, deviceIdOf, deviceTopic };
