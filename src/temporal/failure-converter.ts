/**
 * Loaded by path (`dataConverter.failureConverterPath`) in the client, the worker and the workflow
 * bundle alike: failure messages and stack traces go into an encoded attribute, so the payload
 * codec encrypts them too (partner error texts would otherwise sit in history as plain text).
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
