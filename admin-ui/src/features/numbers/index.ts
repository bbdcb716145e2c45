export { NumbersPage } from './NumbersPage';
export { StatusPage } from './StatusPage';
