// The bulletin's words live in core/bulletin/labels.ts (the PDF uses them too); merged into the dashboard's strings.
export { BULLETIN_LABELS as BULLETIN_STRINGS } from "../../core/bulletin/labels.ts";
