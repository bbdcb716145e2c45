export { NumbersPage } from './NumbersPage';
