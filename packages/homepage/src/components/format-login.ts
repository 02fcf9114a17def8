// Same output on server and in any browser time zone, so hydration never mismatches.
export function formatLogin(iso: string | null): string {
  if (iso === null) {
    return 'This is your first login'
  }
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) {
    return 'Unknown'
  }
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}
