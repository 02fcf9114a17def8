// Shared by the server document shell and the client entry.
/** Id of the JSON script element the client reads its hydration data from. */
export const HYDRATION_DATA_ID = 'home-data'
/** Id of the element the client hydrates. */
export const ROOT_ID = 'root'
