// Open311 discovery, service list and service definitions. A service is one of our kind.category
// pairs (repair.water); its definition's attributes are what a case takes besides the description:
// the estate (a list of estate codes, an alternative to address_id), building, unit and urgency.
import type { Db } from "../../../core/db/db.ts";
import type { Categories, Locale } from "../../../core/cases/categories.ts";
import { translator } from "../../i18n/i18n.ts";

export const SPEC_URL = "http://wiki.open311.org/GeoReport_v2";

export function discovery(baseUrl: string, changeset: string) {
  return {
    changeset,
    contact: "the district property office (区物业办)",
    key_service: `${baseUrl}/api/docs (API tokens are issued by the office administrator)`,
    endpoints: [{ specification: SPEC_URL, url: `${baseUrl}/open311/v2`, changeset, type: "production", formats: ["application/json", "text/xml"] }],
  };
}
/** XML shape: lists inside need their own item elements. */
export const discoveryXml = (d: ReturnType<typeof discovery>) => ({
  ...d,
  endpoints: { endpoint: d.endpoints.map((e) => ({ ...e, formats: { format: e.formats } })) },
});

export function serviceList(categories: Categories, locale: Locale) {
  const t = translator(locale);
  return categories.list.flatMap((c) =>
    c.kinds.map((k) => ({
      service_code: `${k}.${c.code}`,
      service_name: `${t(`kind_${k}`)} · ${c.label[locale]}`,
      description: `${c.label[locale]}${c.emergency ? " (emergency)" : ""}`,
      metadata: true,
      type: "realtime",
      keywords: [k, c.code].join(","),
      group: t(`kind_${k}`),
    })),
  );
}

/** The attribute codes a POST may carry as attribute[code]. */
export const ATTRIBUTE_CODES = ["estate", "building", "unit", "urgent"] as const;

export async function serviceDefinition(db: Db, categories: Categories, serviceCode: string, locale: Locale) {
  const [kind, code] = serviceCode.split(".") as [string, string];
  const c = categories.get(code);
  if (!c || !c.kinds.includes(kind as never)) return null;
  const estates = await db.estate.findMany({ orderBy: { code: "asc" }, select: { code: true, name: true } });
  const attributes = [
    { variable: true, code: "estate", datatype: "singlevaluelist", required: false, datatype_description: "estate code; or send address_id, lat/long or address_string", order: 1, description: "Estate (小区)", values: estates.map((e) => ({ key: e.code, name: e.name })) },
    { variable: true, code: "building", datatype: "string", required: false, datatype_description: "as the estate names it, e.g. 3号楼", order: 2, description: "Building (楼栋)", values: [] },
    { variable: true, code: "unit", datatype: "string", required: false, datatype_description: "e.g. 2单元", order: 3, description: "Unit (单元)", values: [] },
    {
      variable: true,
      code: "urgent",
      datatype: "singlevaluelist",
      required: false,
      datatype_description: c.emergency ? "this category is always handled as an emergency" : "the reporter says it is urgent",
      order: 4,
      description: "Urgent (紧急)",
      values: [
        { key: "true", name: "yes" },
        { key: "false", name: "no" },
      ],
    },
  ];
  return { service_code: `${kind}.${c.code}`, attributes, label: c.label[locale] };
}

export const serviceDefinitionXml = (d: NonNullable<Awaited<ReturnType<typeof serviceDefinition>>>) => ({
  service_code: d.service_code,
  attributes: { attribute: d.attributes.map((a) => ({ ...a, values: { value: a.values } })) },
});
