/** The {@code postern} executable: {@code serve}, the admin commands and (later) the client commands. */
package org.postern.cli;
