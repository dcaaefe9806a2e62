// Original file: proto/coupler/telemetry/v1/telemetry.proto

export const ExportFormat = {
  EXPORT_FORMAT_UNSPECIFIED: 'EXPORT_FORMAT_UNSPECIFIED',
  EXPORT_FORMAT_CSV: 'EXPORT_FORMAT_CSV',
  EXPORT_FORMAT_PROTOBUF: 'EXPORT_FORMAT_PROTOBUF',
} as const;

export type ExportFormat =
  | 'EXPORT_FORMAT_UNSPECIFIED'
  | 0
  | 'EXPORT_FORMAT_CSV'
  | 1
  | 'EXPORT_FORMAT_PROTOBUF'
  | 2

export type ExportFormat__Output = typeof ExportFormat[keyof typeof ExportFormat]
