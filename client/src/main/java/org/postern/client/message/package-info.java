/**
 * Reading (decoded headers, text, attachments) and writing (compose, reply, forward) messages.
 */
package org.postern.client.message;
