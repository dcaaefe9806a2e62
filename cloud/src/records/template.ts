/**
 * A template (SPEC §5): a versioned bundle of a Modbus device profile, an optional Arduino
 * firmware, an optional Node-RED flows bundle and documentation. A name@version never changes
 * once created.
 */
export interface TemplateRecord {
  name: string;
  /** Semantic version. */
  version: string;
  /** Markdown. */
  documentation: string;
  /** The profile's text (YAML or JSON) as the operator gave it; '' when there is none. */
  deviceProfile: string;
  /** An arduino-firmware artifact. */
  firmwareSha256?: string;
  /** A flows-bundle artifact. */
  flowsSha256?: string;
  createdAtMs: number;
  /** Who created it ("key:<name>"). */
  createdBy: string;
}
