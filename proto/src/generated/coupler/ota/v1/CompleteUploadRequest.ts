// Original file: proto/coupler/ota/v1/ota.proto


export interface CompleteUploadRequest {
  'uploadId'?: (string);
}

export interface CompleteUploadRequest__Output {
  'uploadId': (string);
}
