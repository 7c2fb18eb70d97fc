/** DeviceID = bus<<8 | device<<3 | function (amd-iommu.md, conventions), printed "bb:dd.f". */
export function formatDeviceId(deviceId: number): string {
  const bus = (deviceId >>> 8) & 0xff;
  const device = (deviceId >>> 3) & 0x1f;
  const fn = deviceId & 0x7;
  return `${bus.toString(16).padStart(2, "0")}:${device.toString(16).padStart(2, "0")}.${fn}`;
}
