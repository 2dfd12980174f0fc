/*
 * Print-format templates: how the kernel prints each KVM event in text
 * traces, written so that the printed values can be read back by field
 * name (the same names as the event's format, so the decode table serves
 * both trace.dat and text).
 *
 * Template language: literal text must match (any run of spaces matches
 * any run of spaces, including none); %{name:type} reads a value into field
 * name; %{name=V} sets a field to a constant; %{-} skips text up to what
 * follows; %{*} skips the rest of the line.  Types: x (hex, optional 0x),
 * d (decimal), n (0x-prefixed hex or decimal), neg (decimal, negated) and
 * symbol tables (exc, mode, nexc, mmio, kvmexit, vmx, svm, rw, RW, wf,
 * onoff, fpu, wait, valid, grow), which also accept a number.
 */
#ifndef NVTRACE_TEXT_FORMAT_H
#define NVTRACE_TEXT_FORMAT_H

#include <stdint.h>

#define TF_MAX_FIELDS 16

struct text_format { const char *event; const char *tmpl; };

/* The templates of an event, in the order to try them; returns how many. */
int tf_find(const char *event, const struct text_format **out, int max);

/* Index of field name in a template's value array, or -1. */
int tf_field_index(const char *tmpl, const char *name);

/* Match a message against a template; 1 and vals filled on success. */
int tf_match(const char *tmpl, const char *msg, uint64_t *vals);

#endif
