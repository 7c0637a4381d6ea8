export { OrganizationPage } from "./components/organization-page";
export { orgKeys } from "./api/keys";
